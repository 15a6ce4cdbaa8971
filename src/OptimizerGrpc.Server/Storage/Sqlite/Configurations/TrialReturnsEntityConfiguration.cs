using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OptimizerGrpc.Server.Storage.Sqlite.Entities;

namespace OptimizerGrpc.Server.Storage.Sqlite.Configurations;

internal sealed class TrialReturnsEntityConfiguration : IEntityTypeConfiguration<TrialReturnsEntity>
{
    /// <summary>
    /// The table's definition for stores created before it existed (EnsureCreated only creates a schema from scratch);
    /// the same columns and key as the model below.
    /// </summary>
    public const string CreateIfMissing =
        """
        CREATE TABLE IF NOT EXISTS "trial_returns" (
          "study_key" INTEGER NOT NULL, "number" INTEGER NOT NULL, "stage_index" INTEGER NOT NULL, "payload" BLOB NOT NULL,
          CONSTRAINT "PK_trial_returns" PRIMARY KEY ("study_key", "number"));
        """;

    public void Configure(EntityTypeBuilder<TrialReturnsEntity> builder)
    {
        builder.ToTable("trial_returns");
        builder.HasKey(t => new { t.StudyKey, t.Number });
        builder.Property(t => t.StudyKey).HasColumnName("study_key");
        builder.Property(t => t.Number).HasColumnName("number");
        builder.Property(t => t.StageIndex).HasColumnName("stage_index");
        builder.Property(t => t.Payload).HasColumnName("payload");
    }
}
