"""A deputy's receptions, reports to voters, deputy inquiries and public record."""
