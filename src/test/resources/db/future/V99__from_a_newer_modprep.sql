-- A migration of a modprep newer than this one (NewerSchemaTest applies it to a copy, never to a real folder).
CREATE TABLE future_thing (id INT PRIMARY KEY);
