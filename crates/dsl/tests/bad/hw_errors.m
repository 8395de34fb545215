num_pes: 0
l1_size_cstr: 100
l1_size_cstr: 200
l2_size: 3000
noc_bw_cstr: fast
offchip_bw_cstr: -50
NoC_NumHops:
