"""``ganbook run``: notebooks executed in fresh kernels, copies and HTML written, a table of
time and peak memory printed; a failing notebook gives exit status 1."""

import nbformat

from ganbook.__main__ import main


def test_run_executes_a_notebook_in_the_ci_profile(tmp_path, capsys):
    assert main(["run", "--profile", "ci", "--out", str(tmp_path), "00"]) == 0
    printed = capsys.readouterr().out
    executed = nbformat.read(tmp_path / "00_start_here.ipynb", as_version=4)
    code = [cell for cell in executed.cells if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in code)
    text = "".join(o.get("text", "") for c in code for o in c.outputs)
    assert "profile     ci" in text  # the kernel ran in the profile asked for
    assert "PASS scale_pixels" in text
    html = (tmp_path / "00_start_here.html").read_text()
    assert "PASS scale_pixels" in html and "<html" in html
    header, row = printed.strip().splitlines()[-3:-1]
    assert header.split() == ["notebook", "seconds", "peak", "MB", "result"]
    name, seconds, peak, result = row.split()
    assert name == "00_start_here.ipynb" and result == "ok"
    assert float(seconds) > 0 and 200 < float(peak) < 8000  # a kernel with TensorFlow loaded


def test_a_failing_notebook_gives_status_1_and_names_the_cell(tmp_path, capsys):
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "language": "python",
        "display_name": "Python 3",
    }
    notebook.cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("1 / 0")]
    source = tmp_path / "source"
    source.mkdir()
    nbformat.write(notebook, source / "07_broken.ipynb")
    status = main(["run", "--source", str(source), "--out", str(tmp_path / "out")])
    assert status == 1
    assert "FAILED at cell 1: ZeroDivisionError: division by zero" in capsys.readouterr().out
    assert (tmp_path / "out" / "07_broken.html").is_file()


def test_bad_arguments_exit_with_status_2(tmp_path, capsys):
    assert main(["run", "--profile", "huge", "00"]) == 2
    assert "unknown profile 'huge'" in capsys.readouterr().err
    assert main(["run", "--source", str(tmp_path)]) == 2
    assert "holds no .ipynb files" in capsys.readouterr().err
