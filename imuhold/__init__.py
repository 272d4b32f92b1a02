"""imuhold: a hands-free coach and logger for the deep squat hold, from a Bluetooth IMU at the pelvis."""

__version__ = "0.1.0"
