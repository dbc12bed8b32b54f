"""The master-data sync: customers, products and activities both ways (extract → diff → load)."""
