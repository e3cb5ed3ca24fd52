"""A virtual national ID card (ICAO 9303 LDS layout) on Debian's vpcd driver under pcscd."""
