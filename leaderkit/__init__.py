"""leaderkit."""
