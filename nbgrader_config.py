"""nbgrader's settings for grading the course (https://nbgrader.readthedocs.io).

nbgrader works in a course folder of its own. Copy this file there, and each notebook to grade
into ``source/<assignment>/`` (README, section "For instructors"). Every exercise of the course
is already an nbgrader solution cell, and the check after it an autograded test cell worth
1 point.
"""

c = get_config()  # noqa: F821 - nbgrader defines get_config when it reads this file

c.CourseDirectory.course_id = "ganbook"

# Student versions leave out the instructor's notes (cells tagged "instructor"), as
# `ganbook student` does; nbgrader's own steps follow unchanged.
c.TagRemovePreprocessor.enabled = True
c.TagRemovePreprocessor.remove_cell_tags = {"instructor"}
c.GenerateAssignment.preprocessors = [
    "nbconvert.preprocessors.TagRemovePreprocessor",
    "nbgrader.preprocessors.IncludeHeaderFooter",
    "nbgrader.preprocessors.InstantiateTests",
    "nbgrader.preprocessors.LockCells",
    "nbgrader.preprocessors.ClearSolutions",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.CheckCellMetadata",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.SaveCells",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.ClearMarkScheme",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Grading runs each submission top to bottom: training cells take minutes in the lecture
# profile, far beyond nbgrader's default of 30 s per cell.
c.Execute.timeout = 1800
