using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OptimizerGrpc.Server.Storage.Sqlite.Entities;

namespace OptimizerGrpc.Server.Storage.Sqlite.Configurations;

internal sealed class TrialEntityConfiguration : IEntityTypeConfiguration<TrialEntity>
{
    /// <summary>Adds the score column to a store created before it existed (EnsureCreated only creates a schema from scratch).</summary>
    public const string AddScore = "ALTER TABLE \"trials\" ADD COLUMN \"score\" REAL NULL";

    public void Configure(EntityTypeBuilder<TrialEntity> builder)
    {
        builder.ToTable("trials");
        builder.HasKey(t => new { t.StudyKey, t.Number });
        builder.Property(t => t.StudyKey).HasColumnName("study_key");
        builder.Property(t => t.Number).HasColumnName("number");
        builder.Property(t => t.StageIndex).HasColumnName("stage_index");
        builder.Property(t => t.State).HasColumnName("state");
        builder.Property(t => t.Sequence).HasColumnName("sequence");
        builder.Property(t => t.Payload).HasColumnName("payload");
        builder.Property(t => t.Score).HasColumnName("score");
        // Delta sync and event replay read trials by sequence.
        builder.HasIndex(t => new { t.StudyKey, t.Sequence });
        // Restart loads only unfinished trials; a partial index keeps that fast with a million finished ones.
        builder.HasIndex(t => new { t.StudyKey, t.State }).HasFilter("state IN (1, 2)").HasDatabaseName("IX_trials_active");
    }
}
