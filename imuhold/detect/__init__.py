"""Hold detection: the streaming squat/hold state machine, its parameters and per-hold metrics."""
