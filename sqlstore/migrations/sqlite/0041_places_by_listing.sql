-- The places of each listing by its search number, with their positions:
-- a search with words near a point can then read the places of the
-- listings the words match (a few hundred in a city) rather than every
-- place in the circle's box (22,000 in a city of 20,000 listings), when
-- the matches are the fewer (sqlstore/search_near_words.go).
CREATE INDEX asset_locations_num ON asset_locations (search_num, lat, lon) WHERE type = 'physical';
