// The layer rules share one ArchUnitNET model, whose lazily built caches are not documented as thread-safe;
// the whole suite runs in a few seconds, so run it serially.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
