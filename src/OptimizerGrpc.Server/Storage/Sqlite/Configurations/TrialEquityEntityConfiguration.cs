using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OptimizerGrpc.Server.Storage.Sqlite.Entities;

namespace OptimizerGrpc.Server.Storage.Sqlite.Configurations;

internal sealed class TrialEquityEntityConfiguration : IEntityTypeConfiguration<TrialEquityEntity>
{
    /// <summary>The table for stores created before it existed; the same columns and key as the model below.</summary>
    public const string CreateIfMissing =
        """
        CREATE TABLE IF NOT EXISTS "trial_equity" (
          "study_key" INTEGER NOT NULL, "number" INTEGER NOT NULL, "stage_index" INTEGER NOT NULL, "score" REAL NOT NULL,
          "start_bar" INTEGER NOT NULL, "stride" INTEGER NOT NULL, "bar_count" INTEGER NOT NULL, "payload" BLOB NOT NULL,
          CONSTRAINT "PK_trial_equity" PRIMARY KEY ("study_key", "number"));
        """;

    public void Configure(EntityTypeBuilder<TrialEquityEntity> builder)
    {
        builder.ToTable("trial_equity");
        builder.HasKey(t => new { t.StudyKey, t.Number });
        builder.Property(t => t.StudyKey).HasColumnName("study_key");
        builder.Property(t => t.Number).HasColumnName("number");
        builder.Property(t => t.StageIndex).HasColumnName("stage_index");
        builder.Property(t => t.Score).HasColumnName("score");
        builder.Property(t => t.StartBar).HasColumnName("start_bar");
        builder.Property(t => t.Stride).HasColumnName("stride");
        builder.Property(t => t.BarCount).HasColumnName("bar_count");
        builder.Property(t => t.Payload).HasColumnName("payload");
    }
}
