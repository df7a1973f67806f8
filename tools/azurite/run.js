// Runs one Azurite entry point (all services, or just queue/table/blob) inside this process and
// exits as soon as the .NET process that started it is gone, so a crashed test run or DevHost
// never leaves an Azurite behind holding its ports.
//   node run.js <parent-pid> <entry.js> [azurite options...]
"use strict";
const [, , parentPid, entry, ...args] = process.argv;
const parent = Number(parentPid);
setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch {
    process.exit(0);
  }
}, 1000).unref();
process.argv = [process.argv[0], entry, ...args];
require(entry);
