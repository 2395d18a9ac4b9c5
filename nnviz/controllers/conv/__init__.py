"""The Convolution lab: stepping one kernel position at a time, and the live CNN."""
