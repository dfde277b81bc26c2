import numpy as np, sys, collections
from nppsim.engine import bdf as B
from nppsim.engine.run import RunSpec, build
name = sys.argv[1]
spec = RunSpec(scenario=name)
_, sim = build(spec)
net = sim.net
names = {}
for key, e in net.states.entries.items():
    for k in range(e.size): names[e.start+k] = key + (f"[{k}]" if e.size>1 else "")
log = []
orig = B.BDF.advance
def adv(self, t_target, t_stop=np.inf, max_steps=None, **kw):
    rt = kw.get('rec_t'); ry = kw.get('rec_y')
    # single steps
    ns0 = self.stats['steps']
    r = orig(self, t_target, t_stop, 1, **kw)
    if self.stats['steps'] > ns0:
        k = self.order; D = self._view("D"); y = self.y
        atol = self._view("atol")
        e = B._ERRC[k]*D[k+1]/(atol+self.fs[B.F_RTOL]*np.abs(y))
        log.append((self.t, self.h, k, e.copy()))
    return r
B.BDF.advance = adv
sim.advance(spec.resolve()[0].duration)
print(sim.integ.stats())
wins=[(0,60),(60,60.3),(60.3,62.8),(62.8,64),(64,130),(130,400),(400,900)] if name=="turbine-trip" else [(0,3600*6),(3600*6,3600*12),(3600*12,3600*18),(3600*18,86400)]
for a,b in wins:
    sel=[x for x in log if a< x[0]<=b]
    if not sel: continue
    E=np.array([x[3] for x in sel]); ks=collections.Counter(x[2] for x in sel)
    share=(E**2).sum(axis=0); share/=share.sum()
    top=np.argsort(share)[::-1][:8]
    print(f"[{a},{b}] {len(sel)} steps, orders {dict(ks)}, median h {np.median([x[1] for x in sel]):.3g}")
    # group by component block
    blk=collections.defaultdict(float)
    for i,s in enumerate(share): blk[names[i].split('[')[0]]+=s
    print("   ", ", ".join(f"{k} {v:.2f}" for k,v in sorted(blk.items(), key=lambda kv:-kv[1])[:8]))
