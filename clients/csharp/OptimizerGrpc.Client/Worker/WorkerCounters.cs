namespace OptimizerGrpc.Client;

/// <summary>A snapshot of a worker's progress.</summary>
/// <param name="Evaluated">Evaluations finished (successful or not).</param>
/// <param name="Failed">Evaluations whose function threw or returned a failure.</param>
/// <param name="Reconnects">Times the work stream was re-opened after dropping.</param>
/// <param name="Running">Trials held now (being evaluated or waiting for a slot).</param>
/// <param name="Unacknowledged">Results sent but not yet acknowledged by the server.</param>
public readonly record struct WorkerCounters(long Evaluated, long Failed, long Reconnects, int Running, int Unacknowledged);
