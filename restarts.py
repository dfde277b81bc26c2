import numpy as np, sys
from nppsim.engine.run import RunSpec, build
name = sys.argv[1] if len(sys.argv)>1 else "turbine-trip"
spec = RunSpec(scenario=name)
_, sim = build(spec)
net = sim.net
names = {}
for key, e in net.discrete.entries.items():
    for k in range(e.size): names[e.start+k] = key + (f"[{k}]" if e.size>1 else "")
integ = sim.integ
orig = integ.restart
def r(t, y, d):
    ch = np.flatnonzero(integ.d != d)
    print(f"restart t={t:.5f}", [names.get(i,i) for i in ch][:12], "steps so far", integ.stats()['steps'])
    return orig(t, y, d)
integ.restart = r
orig2 = integ.update_discrete
def u(d):
    ch = np.flatnonzero(integ.d != d)
    print(f"  no-restart update t={integ.t:.5f}", [names.get(i,i) for i in ch][:12])
    return orig2(d)
integ.update_discrete = u
sim.advance(spec.resolve()[0].duration)
print(integ.stats())
