// Placeholder until the builder lands.
