"""The national ID card as the station reads it: APDUs, BER-TLV, the LDS files, passive
authentication, and the verified identity they yield."""
