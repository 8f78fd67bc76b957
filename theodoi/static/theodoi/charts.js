// theodoi: the dashboards' charts, drawn with the Chart.js the app serves (no CDN).
// Each <canvas data-chart="ID"> takes its data from <script type="application/json" id="ID">
// written by the page with json_script, so the page itself holds no script (strict CSP).
(function () {
  "use strict";
  if (!window.Chart) {
    return;
  }
  var Chart = window.Chart;
  var rootStyle = window.getComputedStyle(document.documentElement);
  var lang = document.documentElement.lang || "vi";

  // Bootstrap's own colours, so a chart matches the badges and cards around it.
  function colour(name, alpha) {
    var value = rootStyle.getPropertyValue("--bs-" + name + "-rgb").trim();
    if (!value) {
      return "rgba(108, 117, 125, " + (alpha === undefined ? 1 : alpha) + ")";
    }
    return "rgba(" + value + ", " + (alpha === undefined ? 1 : alpha) + ")";
  }

  function number(value) {
    return Number(value).toLocaleString(lang, { maximumFractionDigits: 2 });
  }

  // Large type for a meeting-room projector; a phone needs the room for the data.
  var narrow = window.innerWidth < 576;
  Chart.defaults.font.size = narrow ? 12 : 15;
  Chart.defaults.locale = lang;
  Chart.defaults.plugins.legend.labels.boxWidth = 18;

  var draw = {
    doughnut: function (canvas, data) {
      return new Chart(canvas, {
        type: "doughnut",
        data: {
          labels: data.labels,
          datasets: [
            {
              data: data.values,
              backgroundColor: data.colours.map(function (name) {
                return colour(name);
              }),
              borderWidth: 2,
            },
          ],
        },
        options: {
          responsive: true,
          plugins: { legend: { position: "bottom" } },
        },
      });
    },

    trend: function (canvas, data) {
      return new Chart(canvas, {
        type: "line",
        data: {
          labels: data.labels,
          datasets: data.series.map(function (series, index) {
            return {
              label: series.label,
              data: series.values,
              borderColor: colour(series.colour),
              backgroundColor: colour(series.colour, 0.35),
              // Stacked areas: each fills down to the one below it, not to zero.
              fill: index === 0 ? "origin" : "-1",
              tension: 0.2,
              pointRadius: data.labels.length > 24 ? 0 : 3,
            };
          }),
        },
        options: {
          responsive: true,
          aspectRatio: narrow ? 0.9 : 2.2,
          interaction: { mode: "index", intersect: false },
          scales: {
            x: { ticks: { autoSkip: true, maxRotation: 60 } },
            y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
          },
          plugins: { legend: { position: "bottom" } },
        },
      });
    },

    indicator: function (canvas, data) {
      var unit = data.unit || "";
      var names = data.names || {};
      var years = function (value) {
        return Number.isInteger(value) ? String(value) : "";
      };
      return new Chart(canvas, {
        type: "scatter",
        data: {
          datasets: [
            {
              label: names.roadmap,
              data: data.roadmap,
              showLine: true,
              borderColor: colour("primary"),
              backgroundColor: colour("primary"),
              pointRadius: 4,
            },
            {
              label: names.actual,
              data: data.actual,
              borderColor: colour("success"),
              backgroundColor: colour("success"),
              pointRadius: 7,
              pointStyle: "rectRot",
            },
            {
              label: names.projection,
              data: data.projection,
              showLine: true,
              borderDash: [8, 6],
              borderColor: colour("warning"),
              backgroundColor: colour("warning"),
              pointRadius: 0,
            },
          ],
        },
        options: {
          responsive: true,
          aspectRatio: narrow ? 0.9 : 2.4,
          scales: {
            x: { type: "linear", ticks: { stepSize: 1, callback: years } },
            y: {
              ticks: {
                callback: function (value) {
                  return number(value) + unit;
                },
              },
            },
          },
          plugins: {
            legend: { position: "bottom" },
            tooltip: {
              callbacks: {
                label: function (item) {
                  var point = item.raw;
                  var when = point.period || years(point.x) || number(point.x);
                  return item.dataset.label + " · " + when + ": " + number(point.y) + unit;
                },
              },
            },
          },
        },
      });
    },

    bars: function (canvas, data) {
      var unit = data.unit || "";
      var names = data.names || {};
      return new Chart(canvas, {
        type: "bar",
        data: {
          labels: data.labels,
          datasets: [
            {
              type: "bar",
              label: names.value,
              data: data.values,
              backgroundColor: data.colours.map(function (name) {
                return colour(name, 0.8);
              }),
            },
            {
              type: "line",
              label: names.milestone,
              data: data.milestones,
              showLine: false,
              pointStyle: "line",
              pointRadius: 14,
              pointBorderWidth: 3,
              pointRotation: 90,
              borderColor: colour("dark"),
              backgroundColor: colour("dark"),
            },
          ],
        },
        options: {
          indexAxis: "y",
          responsive: true,
          aspectRatio: Math.max(0.8, 3 - data.labels.length * 0.15),
          scales: {
            x: {
              beginAtZero: true,
              ticks: {
                callback: function (value) {
                  return number(value) + unit;
                },
              },
            },
          },
          plugins: { legend: { position: "bottom" } },
        },
      });
    },

    // A self-assessment: each group's share of its maximum, this year and (dashed) last year.
    radar: function (canvas, data) {
      var palette = ["primary", "secondary"];
      return new Chart(canvas, {
        type: "radar",
        data: {
          labels: data.labels,
          datasets: data.series.map(function (series, index) {
            return {
              label: series.label,
              data: series.values,
              borderColor: colour(palette[index % palette.length]),
              backgroundColor: colour(palette[index % palette.length], index ? 0.05 : 0.2),
              borderDash: index ? [6, 4] : [],
              pointRadius: 3,
            };
          }),
        },
        options: {
          responsive: true,
          aspectRatio: 1.2,
          scales: {
            r: {
              min: 0,
              max: 100,
              ticks: { stepSize: 25, backdropColor: "transparent" },
              pointLabels: { font: { size: narrow ? 10 : 12 } },
            },
          },
          plugins: {
            legend: { position: "bottom", display: data.series.length > 1 },
            tooltip: {
              callbacks: {
                label: function (item) {
                  return item.dataset.label + ": " + number(item.raw) + "%";
                },
              },
            },
          },
        },
      });
    },
  };

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    if (draw[data.kind]) {
      draw[data.kind](canvas, data);
    }
  });
})();
