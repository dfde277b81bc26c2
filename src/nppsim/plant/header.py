"""Offsets of the header of the network's integer array ``ip`` (shared by kernel and components).

See :mod:`nppsim.plant.kernel` for what follows the header.
"""

IP_NY = 0  # number of states
IP_NP = 1  # number of real parameters
IP_NW = 2  # number of signals
IP_ND = 3  # number of discrete entries
IP_NG = 4  # number of event functions
IP_NSCHED = 5  # number of scheduled components
IP_SCHED = 6  # offset of the schedule: (code, record offset) pairs
IP_NCOLOR = 7  # number of column groups of the finite-difference Jacobian
IP_COLOR_PTR = 8  # offset of the group pointer array (n_color + 1 entries, into the column list)
IP_COLOR_COLS = 9  # offset of the column list (columns of each group, group after group)
IP_ROW_PTR = 10  # offset of the per-column pointer array (ny + 1 entries, into the row list)
IP_ROWS = 11  # offset of the row list (rows each column can change)
IP_P_JAC_TYP = 12  # offset, in p, of the typical magnitude of every state (FD increments)
IP_WATER = 13  # offset, in p, of the packed (p, h) water-property table
IP_SAT = 14  # offset, in p, of the packed saturation table
IP_ISEN = 15  # offset, in p, of the packed isentropic-drop table (turbine; -1: none)
IP_CHAIN = 16  # offset of the closure chain-rule block of the Jacobian (see the kernel)
IP_ROOTS_FULL = 17  # 1: event functions read signals a closure writes (evaluate every phase)
IP_JAC_SUBSET = 18  # 1: each column group runs only its schedule entries (0: every entry)
IP_LIST_PTR = 19  # offset of the pointers of the schedule-entry lists (n_color + 2 entries)
IP_LISTS = 20  # offset of the entry lists: 0, every entry; 1 + c, column group c's entries
HEADER_SIZE = 24
