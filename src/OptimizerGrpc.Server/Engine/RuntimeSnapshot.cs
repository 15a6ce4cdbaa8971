using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Server.Engine.Store;

namespace OptimizerGrpc.Server.Engine;

/// <summary>
/// The runtime row of a study: state, counters, numbering, best trials, and every stage's method snapshot, so a
/// restarted study continues on exactly the trajectory it would have taken. Version 3 added the number reservation,
/// the repeat counter and the waiting proposals; version 4 the failure tally (<see cref="StudyBook.Failures"/>), after
/// the stages. Versions 2 and 3 are still read (with an empty tally).
/// </summary>
internal static class RuntimeSnapshot
{
    public const byte Version = 4;

    public static byte[] Write(StudyBook book)
    {
        var codec = book.Store.Codec;
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            w.Write(Version);
            w.Write((int)book.State);
            w.Write(book.StateReason);
            w.Write(book.LastSequence);
            w.Write(book.Queue.NextNumber);
            w.Write(book.Queue.ReservedNumber);
            book.Counts.Write(w);
            w.Write(book.BestScore);
            byte[] best = book.Best is null ? [] : codec.EncodeTrial(book.Best);
            w.Write(best.Length);
            w.Write(best);
            w.Write(book.Stages.Length);
            foreach (var stage in book.Stages)
            {
                stage.Write(w, codec);
            }

            book.Failures.Write(w);
        }

        return stream.ToArray();
    }

    public static void Read(StudyBook book, byte[] bytes)
    {
        var codec = book.Store.Codec;
        using var r = new BinaryReader(new MemoryStream(bytes));
        byte version = r.ReadByte();
        if (version is not (2 or 3 or Version))
        {
            throw new InvalidDataException($"study '{book.StudyId}' has runtime snapshot version {version}; this server reads 2 to {Version}");
        }

        book.State = (StudyState)r.ReadInt32();
        book.StateReason = r.ReadString();
        book.LastSequence = r.ReadInt64();
        book.Queue.NextNumber = r.ReadInt64();
        book.Queue.ReservedNumber = version >= 3 ? r.ReadInt64() : book.Queue.NextNumber;
        book.Counts = TrialCounts.Read(r);
        book.BestScore = r.ReadDouble();
        int bestLength = r.ReadInt32();
        book.Best = bestLength > 0 ? codec.DecodeTrial(r.ReadBytes(bestLength), book.Plan.Space) : null;
        int stages = r.ReadInt32();
        if (stages != book.Stages.Length)
        {
            throw new InvalidDataException($"study '{book.StudyId}' stored {stages} stages; its spec plans {book.Stages.Length}");
        }

        foreach (var stage in book.Stages)
        {
            stage.Read(r, book.Plan.Feasible, version, codec, book.Plan.Space);
        }

        book.Failures = version >= 4 ? FailureTally.Read(r) : new FailureTally();
    }
}
