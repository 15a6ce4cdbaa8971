using Microsoft.EntityFrameworkCore;
using OptimizerGrpc.Server.Storage.Sqlite.Entities;

namespace OptimizerGrpc.Server.Storage.Sqlite;

/// <summary>The EF Core model of the store: studies, trials and events.</summary>
internal sealed class OptimizerDbContext(DbContextOptions<OptimizerDbContext> options) : DbContext(options)
{
    public DbSet<StudyEntity> Studies => Set<StudyEntity>();

    public DbSet<TrialEntity> Trials => Set<TrialEntity>();

    public DbSet<EventEntity> Events => Set<EventEntity>();

    public DbSet<TrialReturnsEntity> TrialReturns => Set<TrialReturnsEntity>();

    public DbSet<TrialEquityEntity> TrialEquity => Set<TrialEquityEntity>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(OptimizerDbContext).Assembly);
}
