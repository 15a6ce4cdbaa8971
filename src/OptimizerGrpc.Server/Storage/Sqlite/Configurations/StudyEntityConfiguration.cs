using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OptimizerGrpc.Server.Storage.Sqlite.Entities;

namespace OptimizerGrpc.Server.Storage.Sqlite.Configurations;

internal sealed class StudyEntityConfiguration : IEntityTypeConfiguration<StudyEntity>
{
    /// <summary>Adds the owner column to a store written before studies had owners (their owner is "").</summary>
    public const string AddOwner = "ALTER TABLE \"studies\" ADD COLUMN \"owner\" TEXT NOT NULL DEFAULT ''";

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
        builder.Property(s => s.Owner).HasColumnName("owner").IsRequired().HasDefaultValue("");
    }
}
