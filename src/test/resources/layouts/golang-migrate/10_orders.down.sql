DROP TABLE gm_orders;
