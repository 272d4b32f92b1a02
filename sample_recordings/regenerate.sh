#!/usr/bin/env bash
# Regenerates every sample recording and its labels from the simulator (seed 1, no picking), each scenario on the
# typical chip and mounting its seed draws (docs/simulator.md).
set -euo pipefail
cd "$(dirname "$0")"
for scenario in routine beginner-short-holds long-hold split-hold distractors mount-any rate-25hz rate-200hz lossy styles; do
  imuhold simulate "$scenario.imuhold.gz" --scenario "$scenario" --seed 1 --sensor-errors typical --force
done
