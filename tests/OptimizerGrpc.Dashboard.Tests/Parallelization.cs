// The classes run one after another: each drives a browser and a server on a 2-core machine, and the live-update test
// measures a delay that a neighbour's page load would stretch.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
