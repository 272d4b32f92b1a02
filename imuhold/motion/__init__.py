"""Motion: quaternions, orientation estimation, standing calibration, pelvic angles and vertical kinematics."""
