using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OptimizerGrpc.Server.Storage;

internal sealed class StudyEntityConfiguration : IEntityTypeConfiguration<StudyEntity>
{
    public void Configure(EntityTypeBuilder<StudyEntity> builder)
    {
        builder.ToTable("studies");
        builder.HasKey(s => s.Key);
        builder.Property(s => s.Key).HasColumnName("key").ValueGeneratedNever();
        builder.Property(s => s.StudyId).HasColumnName("study_id").IsRequired();
        builder.HasIndex(s => s.StudyId).IsUnique();
        builder.Property(s => s.DisplayName).HasColumnName("display_name");
        builder.Property(s => s.State).HasColumnName("state");
        builder.Property(s => s.CreateTimeMs).HasColumnName("create_time_ms");
        builder.Property(s => s.UpdateTimeMs).HasColumnName("update_time_ms");
        builder.Property(s => s.Spec).HasColumnName("spec");
        builder.Property(s => s.Runtime).HasColumnName("runtime");
        builder.Property(s => s.LastSequence).HasColumnName("last_sequence");
    }
}

internal sealed class TrialEntityConfiguration : IEntityTypeConfiguration<TrialEntity>
{
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
        // Delta sync and event replay read trials by sequence.
        builder.HasIndex(t => new { t.StudyKey, t.Sequence });
        // Restart loads only unfinished trials; a partial index keeps that fast with a million finished ones.
        builder.HasIndex(t => new { t.StudyKey, t.State }).HasFilter("state IN (1, 2)").HasDatabaseName("IX_trials_active");
    }
}

internal sealed class EventEntityConfiguration : IEntityTypeConfiguration<EventEntity>
{
    public void Configure(EntityTypeBuilder<EventEntity> builder)
    {
        builder.ToTable("events");
        builder.HasKey(e => new { e.StudyKey, e.Sequence });
        builder.Property(e => e.StudyKey).HasColumnName("study_key");
        builder.Property(e => e.Sequence).HasColumnName("sequence");
        builder.Property(e => e.Kind).HasColumnName("kind");
        builder.Property(e => e.Payload).HasColumnName("payload");
    }
}
