"""Sessions, agendas, commissions, votes and the decisions register of a maslikhat."""
