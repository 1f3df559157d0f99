// UsageAnalytics: the monthly usage report (issue 7), computed purely from a `UsageDataset`.
// The module depends on AccountStore (Package.swift) so that an adapter from the SQLite directory
// to `UsageDataset` can live here later; the computation and renderers never touch a database.
