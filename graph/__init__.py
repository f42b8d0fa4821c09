"""The canonical model of climatekg, its vocabulary and the stores that keep it."""
