-- A change from a feed waiting for review keeps the service as the feed
-- sent it, so that a listing a curator takes from the review page keeps
-- it as a listing a trusted harvest writes does (oruk_documents,
-- migration 39): what linkwork does not model is published again. NULL
-- for a listing gone from its feed, and for changes flagged before.
ALTER TABLE feed_reviews ADD COLUMN received TEXT;
