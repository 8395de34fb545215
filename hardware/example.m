// The example accelerator in the reference MAESTRO's hardware-file format (same numbers as example.toml):
// 256 PEs, L1 100 and L2 3000 elements, a NoC of 1000 elements/cycle with one cycle per transfer,
// and 50 elements/cycle from off-chip memory.
num_pes: 256
l1_size_cstr: 100
l2_size_cstr: 3000
noc_bw_cstr: 1000
offchip_bw_cstr: 50
NoC_NumHops: 1
