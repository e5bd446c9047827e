// The report's chart: days by kind per face, stacked horizontal bars (one bar per face reads
// well on a phone too). The figures come from the page, which shows them in its table as well.
(function () {
  var canvas = document.getElementById("report-chart");
  var source = document.getElementById("report-chart-data");
  if (!canvas || !source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  // One bar per face: the figure grows with the faces. Set through the CSSOM, which the
  // Content-Security-Policy allows, rather than a style attribute, which it refuses.
  var figure = canvas.closest("figure");
  figure.style.height = figure.dataset.heightRem + "rem";
  var colours = {non_commercial: "#6fa8dc", commercial: "#93c47d", maintenance: "#f6b26b",
                 free: "#e6e6e6"};
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.series.map(function (series) {
        return {label: series.label, data: series.data, backgroundColor: colours[series.key],
                borderColor: "#fff", borderWidth: 1};
      })
    },
    options: {
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: {stacked: true, beginAtZero: true, max: data.days,
            title: {display: true, text: data.axis}},
        y: {stacked: true}
      },
      plugins: {legend: {position: "bottom"}}
    }
  });
}());
