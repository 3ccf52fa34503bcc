-- Schema version 6: a capture whose payload repeats an earlier response byte for byte is a WARC
-- revisit record; refers_to holds the WARC-Record-ID of the response that has the payload.
ALTER TABLE capture ADD COLUMN refers_to TEXT;
