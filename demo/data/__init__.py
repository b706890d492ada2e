"""What the demo contains, as plain data: the facilities and their staff (`facilities`), the
service standards (`services`), the history of the charters (`charters`), the feedback cases
(`feedback`) and the survey (`survey`). Nothing here touches the database."""
