"""memory adapters"""
