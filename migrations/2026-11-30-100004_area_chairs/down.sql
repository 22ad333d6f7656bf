DROP TABLE area_chairs;
