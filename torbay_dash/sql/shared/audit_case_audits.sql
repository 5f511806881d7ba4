-- Case audits (audit_type 'case'; thematic audits and dip samples are not) with their final grade:
-- the moderated grade when there is one, else the auditor's grade. grades_recognised is false when
-- grade or moderated_grade holds a value other than the four grades: such an audit is left out of
-- the grade indicators. Ranks order the grades from inadequate (1) to outstanding (4).
SELECT
    a.*,
    coalesce(a.moderated_grade, a.grade)                                                  AS final_grade,
    list_position(['inadequate', 'requires_improvement', 'good', 'outstanding'], a.grade) AS grade_rank,
    list_position(['inadequate', 'requires_improvement', 'good', 'outstanding'], a.moderated_grade)
                                                                                          AS moderated_rank,
    (a.grade IS NULL OR grade_rank IS NOT NULL)
        AND (a.moderated_grade IS NULL OR moderated_rank IS NOT NULL)                     AS grades_recognised
FROM qa_audits AS a
WHERE a.audit_type = 'case'
