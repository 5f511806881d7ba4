-- wd(s, e): working days d with s < d <= e (England and Wales), from the calendar's
-- running index. NULL when either date is NULL or outside the calendar.
CREATE MACRO wd(s, e) AS (
    (SELECT c.wd_index FROM calendar c WHERE c.d = e)
  - (SELECT c.wd_index FROM calendar c WHERE c.d = s)
);
