#!/bin/sh
# Packages installed into an image must not try to start their services at install time (there is no init here):
# 101 is "action forbidden" for invoke-rc.d.
exit 101
