// Runs one Azurite entry point (all services, or just queue/table/blob) inside this process and
// exits as soon as the .NET process that started it is gone, so a crashed test run or DevHost
// never leaves an Azurite behind holding its ports.
//   node run.js <parent-pid> <entry.js> [azurite options...]
// AZURITE_STOCK_QUEUE_CLEANUP=1 leaves Azurite's queue clean-up as shipped (see below); only the
// benchmark that measures the difference sets it.
"use strict";
const path = require("path");
const [, , parentPid, entry, ...args] = process.argv;
const parent = Number(parentPid);
setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch {
    process.exit(0);
  }
}, 1000).unref();

if (process.env.AZURITE_STOCK_QUEUE_CLEANUP !== "1") batchInMemoryExtentDeletes(entry);

process.argv = [process.argv[0], entry, ...args];
require(entry);

// In memory, Azurite keeps every queued message's body as an extent, listed in a LokiJS collection
// indexed by id. Once a minute its clean-up deletes the extents no message refers to any more, one
// findAndRemove at a time, and LokiJS rebuilds (sorts) the id index after every removal: deleting k
// of n extents costs k·n·log n, which after a few thousand messages holds the queue service's only
// thread for seconds to minutes (docs/BENCHMARKS.md). The same extents removed in one batch cost one
// rebuild. Only the bookkeeping changes: which extents are deleted, and when, stays Azurite's.
function batchInMemoryExtentDeletes(entryPath) {
  const marker = `${path.sep}dist${path.sep}src${path.sep}`;
  const at = entryPath.lastIndexOf(marker);
  if (at < 0) return;
  const src = entryPath.slice(0, at + marker.length);
  let MemoryExtentStore, LokiExtentMetadata;
  try {
    MemoryExtentStore = require(path.join(src, "common", "persistence", "MemoryExtentStore")).default;
    LokiExtentMetadata = require(path.join(src, "common", "persistence", "LokiExtentMetadataStore")).default;
  } catch {
    return;
  }
  const shipped = MemoryExtentStore && MemoryExtentStore.prototype.deleteExtents;
  if (typeof shipped !== "function" || !LokiExtentMetadata) return;

  MemoryExtentStore.prototype.deleteExtents = async function (extents) {
    const metadata = this.metadataStore;
    const collection = metadata instanceof LokiExtentMetadata && metadata.db && metadata.db.getCollection(metadata.EXTENTS_COLLECTION);
    // Anything unexpected (another metadata store, a changed layout): Azurite's own way.
    if (!collection || typeof collection.chain !== "function") return shipped.call(this, extents);
    const ids = new Set(extents);
    for (const id of ids) this.chunks.delete(this.categoryName, id);
    collection.chain().where((doc) => ids.has(doc.id)).remove();
    return ids.size;
  };
}
