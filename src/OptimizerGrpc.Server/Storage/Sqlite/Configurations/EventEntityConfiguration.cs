using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OptimizerGrpc.Server.Storage.Sqlite.Entities;

namespace OptimizerGrpc.Server.Storage.Sqlite.Configurations;

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
