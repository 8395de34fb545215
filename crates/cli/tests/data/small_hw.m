// A reference-format hardware file with only four PEs: too few for tiny.m's clusters of 8.
num_pes: 4
noc_bw_cstr: 16
