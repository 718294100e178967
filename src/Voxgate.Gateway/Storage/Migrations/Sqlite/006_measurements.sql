-- Each request's measurements beside its usage: the time to its first audio byte and the length of its audio, in
-- milliseconds (NULL where there was none, or it is not known: rows before this version, a provider's compressed audio).
-- The console's live figures per model are computed from these (UsageReports.ModelFiguresAsync).
ALTER TABLE usage ADD COLUMN first_byte_ms INTEGER;
ALTER TABLE usage ADD COLUMN audio_ms INTEGER;
