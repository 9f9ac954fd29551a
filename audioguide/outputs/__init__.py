"""Writers that turn a built guide into the formats patients' reading apps and players open."""
