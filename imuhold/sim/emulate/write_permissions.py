"""An emulated sensor's GATT server refuses writes to attributes that are not writable, as a real sensor does."""

from __future__ import annotations

from bumble import att
from bumble.gatt_server import Server


def refuse_unpermitted_writes(server: Server) -> None:
    """Answer a Write Request to an attribute without write permission with "Write Not Permitted" and drop such a
    Write Command, before bumble's own handlers see it.

    bumble (0.0.236) writes any attribute a client names: its ``Server.on_att_write_request`` and
    ``on_att_write_command`` still carry "# TODO: check permissions". In the e2e VM BlueZ, holding a GATT cache of
    another emulated profile at the same address, re-enabled a stale notification by writing 01 00 to what was now the
    Battery service's declaration; bumble took it, the service's UUID became 0x0001, the database hash changed, and
    the next reconnect ran into BlueZ rediscovering the services under the link's start sequence (docs/e2e.md:
    "the silent reconnect").
    """
    on_request, on_command = server.on_att_write_request, server.on_att_write_command

    def write_request(bearer: att.Bearer, request: att.ATT_Write_Request) -> None:
        if not _writable(server, request.attribute_handle):
            raise att.ATT_Error(att.ATT_WRITE_NOT_PERMITTED_ERROR, request.attribute_handle)  # answered by bumble
        on_request(bearer, request)

    def write_command(bearer: att.Bearer, command: att.ATT_Write_Command) -> None:
        if _writable(server, command.attribute_handle):  # a command gets no answer: an unpermitted one is dropped
            on_command(bearer, command)

    server.on_att_write_request = write_request  # type: ignore[method-assign]
    server.on_att_write_command = write_command  # type: ignore[method-assign]


def _writable(server: Server, handle: int) -> bool:
    """False for an existing attribute without write permission (a missing one is left to bumble's own answer)."""
    attribute = server.get_attribute(handle)
    return attribute is None or bool(attribute.permissions & att.Attribute.WRITEABLE)
