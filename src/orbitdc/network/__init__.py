"""Networks: laser inter-satellite links, ground stations, routing and formation-flying clusters."""
