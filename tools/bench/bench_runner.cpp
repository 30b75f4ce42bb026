// bench_runner.cpp: runs benchmark jobs in parallel child processes (one SystemC simulation each),
// with a progress line on a terminal's stderr (tools/progress.h).
#include "bench.h"
#include "progress.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace bench {

std::vector<JobResult> run_jobs(const std::vector<Job> &jobs, unsigned procs, const char *what, bool quiet)
{
    std::vector<Job> started;
    return run_jobs(
        jobs.size(), [&](size_t i) { return jobs[i]; }, started, procs, what, quiet);
}

std::vector<JobResult> run_jobs(size_t total, const std::function<Job(size_t)> &make, std::vector<Job> &jobs,
                                unsigned procs, const char *what, bool quiet)
{
    struct Slot {
        pid_t pid;
        int fd;
        size_t job;
        std::string out;
    };
    std::vector<JobResult> res;
    jobs.clear();
    std::vector<Slot> act;
    size_t next = 0, done = 0;
    if (procs == 0) procs = 1;
    struct progress prog;
    progress_start(&prog, what, "jobs", quiet);
    fflush(stdout);
    fflush(stderr);
    while (done < total) {
        while (act.size() < procs && next < total) {
            jobs.push_back(make(next));
            res.emplace_back();
            int pfd[2];
            if (pipe(pfd) != 0) {
                res[next].error = strerror(errno);
                next++;
                done++;
                continue;
            }
            pid_t pid = fork();
            if (pid == 0) {
                close(pfd[0]);
                for (const Slot &s : act) close(s.fd);
                int rc = run_job_in_child(jobs[next], pfd[1]);
                close(pfd[1]);
                fflush(stdout);
                fflush(stderr);
                _exit(rc);
            }
            close(pfd[1]);
            if (pid < 0) {
                close(pfd[0]);
                res[next].error = strerror(errno);
                next++;
                done++;
                continue;
            }
            act.push_back({ pid, pfd[0], next, {} });
            next++;
        }
        if (act.empty()) break;
        std::vector<struct pollfd> pf;
        for (const Slot &s : act) pf.push_back({ s.fd, POLLIN, 0 });
        int n = poll(pf.data(), pf.size(), 250);
        if (n < 0 && errno != EINTR) break;
        for (size_t i = act.size(); i-- > 0;) {
            if (!(pf[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            char buf[4096];
            ssize_t r = read(act[i].fd, buf, sizeof buf);
            if (r > 0) {
                act[i].out.append(buf, (size_t)r);
                continue;
            }
            if (r < 0 && errno == EINTR) continue;
            close(act[i].fd);
            int st = 0;
            waitpid(act[i].pid, &st, 0);
            JobResult &jr = res[act[i].job];
            if (!parse_job_output(act[i].out, jr) && jr.error.empty()) jr.error = "benchmark process failed";
            if (WIFSIGNALED(st)) {
                jr.ok = false;
                jr.error = "benchmark process killed by signal " + std::to_string(WTERMSIG(st));
            }
            act.erase(act.begin() + (long)i);
            done++;
        }
        progress_update(&prog, done, total);
    }
    progress_end(&prog, done, total);
    return res;
}

} // namespace bench
