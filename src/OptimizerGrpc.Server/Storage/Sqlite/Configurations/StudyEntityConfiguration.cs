using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OptimizerGrpc.Server.Storage.Sqlite.Entities;

namespace OptimizerGrpc.Server.Storage.Sqlite.Configurations;

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
