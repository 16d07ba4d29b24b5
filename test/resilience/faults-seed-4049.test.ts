import { describeFaultRun } from "../helpers/fault-run";

// Half of the 10,000-transaction scenario; the other seeds run in a file of their own, so the two
// halves can run on different mocha workers.
describeFaultRun({ count: 5_000, workloadSeed: 4049, faultSeed: 11 });
