"""Time: when each partner's rituals fire, and the periodic tick that sends what is due."""
