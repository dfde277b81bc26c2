import numpy as np, sys
from nppsim.engine.run import RunSpec, build
from nppsim.scenarios import load_scenario
name = sys.argv[1] if len(sys.argv)>1 else "turbine-trip"
spec = RunSpec(scenario=load_scenario(name))
_, sim = build(spec)
dur = spec.resolve()[0].duration
sim.advance(dur)
df = sim.results()
t = df.index.values if "time_s" not in df.columns else df["time_s"].values
dt = np.diff(t)
print(len(t), sim.integ.stats())
for e in sim.log: print(e["time_s"], e["kind"], e["name"])
edges=[0,59,60,60.5,61,62,63,64,65,70,80,100,130,200,400,900]
for a,b in zip(edges[:-1],edges[1:]):
    m=(t[1:]>a)&(t[1:]<=b)
    print(f"{a:6}-{b:5}: {m.sum():4d} steps, min dt {dt[m].min() if m.any() else 0:.2e}")
